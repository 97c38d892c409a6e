// Starts Swagger UI on /docs over the OpenAPI document the page names. A file, not inline,
// because the Content-Security-Policy allows no inline script. validatorUrl: null keeps
// Swagger UI from loading a badge from swagger.io (the page loads nothing from elsewhere).
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: holder.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
