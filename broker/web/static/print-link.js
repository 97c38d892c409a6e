// The timeline's "Print" link opens the browser's print dialogue (the page has a print
// stylesheet). Without JavaScript the link stays a harmless "#".
(function () {
  "use strict";
  var link = document.getElementById("print-page");
  if (!link) return;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.print();
  });
})();
