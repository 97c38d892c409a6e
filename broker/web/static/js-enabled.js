// Tells GOV.UK Frontend's styles that JavaScript runs, before the page is drawn. Loaded as the
// body's first element; a file, not inline, because the Content-Security-Policy allows no
// inline script.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
