// Usage charts: requests, errors and p95 latency per minute from the gateways' analytics, drawn with uPlot.
window.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-usage]').forEach(async (element) => {
    const response = await fetch(element.dataset.usage, { headers: { Accept: 'application/json' } });
    if (!response.ok) { element.textContent = 'Usage is not available.'; return; }
    const report = await response.json();
    const minutes = new Map();
    for (const series of report.series) {
      for (const point of series.minutes) {
        const at = Date.parse(point.minute) / 1000;
        const sum = minutes.get(at) || { requests: 0, errors: 0, p95: 0 };
        sum.requests += point.requests;
        sum.errors += point.errors['4xx'] + point.errors['5xx'] + point.errors['cut_off'];
        sum.p95 = Math.max(sum.p95, point.latencyMs.p95);
        minutes.set(at, sum);
      }
    }
    // Every minute of the range, quiet ones as zero, so the time axis spans the whole range.
    const times = [];
    for (let t = Date.parse(report.from) / 1000; t < Date.parse(report.to) / 1000; t += 60) {
      times.push(t);
      if (!minutes.has(t)) minutes.set(t, { requests: 0, errors: 0, p95: null });
    }
    const total = times.reduce((n, t) => n + minutes.get(t).requests, 0);
    const summary = document.createElement('p');
    summary.className = 'usage-summary';
    summary.textContent = total === 0 ? 'No calls in the last hour.'
      : total + ' calls in the last hour, ' + times.reduce((n, t) => n + minutes.get(t).errors, 0) + ' of them errors.';
    element.before(summary);
    if (report.groupBy === 'resource' && report.series.length > 0) {
      const table = document.createElement('table');
      table.className = 'list usage-by-resource';
      table.innerHTML = '<caption class="visually-hidden">Calls by resource</caption>'
        + '<thead><tr><th scope="col">Resource</th><th scope="col">Calls</th><th scope="col">Errors</th></tr></thead>';
      const body = table.createTBody();
      for (const series of report.series) {
        const errors = series.minutes.reduce((n, p) => n + p.errors['4xx'] + p.errors['5xx'] + p.errors['cut_off'], 0);
        const row = body.insertRow();
        [series.resource, String(series.requests), String(errors)].forEach(text => { row.insertCell().textContent = text; });
      }
      element.after(table);
    }
    if (total === 0) return;
    const width = Math.max(280, Math.min(element.clientWidth || 800, 1000));
    new window.uPlot({
      width, height: 240,
      series: [
        {},
        { label: 'Requests', stroke: '#1d4ed8', width: 2 },
        { label: 'Errors', stroke: '#b91c1c', width: 2 },
        { label: 'p95 latency (ms)', stroke: '#047857', scale: 'ms', width: 1 },
      ],
      axes: [{}, { label: 'calls per minute' }, { side: 1, scale: 'ms', label: 'ms', grid: { show: false } }],
    }, [times, times.map(t => minutes.get(t).requests), times.map(t => minutes.get(t).errors),
        times.map(t => minutes.get(t).p95)], element);
  });
});
