// Copy buttons: any element with data-copy puts its value on the clipboard and says so.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = 'Copied';
  } catch (e) {
    button.textContent = 'Press Ctrl+C';
    const code = button.previousElementSibling;
    if (code) window.getSelection().selectAllChildren(code);
  }
  setTimeout(() => { button.textContent = label; }, 1500);
});
