// Starts ReDoc on the #redoc element of /api/redoc/. The OpenAPI document's
// URL comes from its data-schema-url attribute, so the page needs no inline
// script. ReDoc 2.x loads no web fonts by itself; the page falls back to the
// system's fonts.
(function () {
  "use strict";
  var el = document.getElementById("redoc");
  Redoc.init(el.getAttribute("data-schema-url"), {}, el);
})();
