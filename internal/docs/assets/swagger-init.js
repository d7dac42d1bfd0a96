// Starts Swagger UI on the #swagger-ui element of /api/docs/. The OpenAPI
// document's URL comes from its data-schema-url attribute, so the page needs
// no inline script. Nothing is fetched from another origin: the online
// validator badge is off and the URL cannot be overridden from the query.
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-schema-url"),
    domNode: el,
    validatorUrl: null,
    queryConfigEnabled: false,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
