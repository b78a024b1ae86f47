// The developer portal's try-it console: Swagger UI on the API's OpenAPI document, whose server is the portal's
// same-origin relay to the chosen environment's gateway. Calls to the relay carry the session's CSRF token.
window.addEventListener('DOMContentLoaded', () => {
  const element = document.getElementById('swagger-ui');
  if (!element || !window.SwaggerUIBundle) return;
  const csrf = element.dataset.csrf;
  window.SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    tryItOutEnabled: true,
    deepLinking: false,
    persistAuthorization: false,
    requestInterceptor: (request) => {
      const target = new URL(request.url, window.location.href);
      if (target.origin === window.location.origin && target.pathname.includes('/try/')) {
        request.headers['X-CSRF-Token'] = csrf;
      }
      return request;
    },
  });
});
