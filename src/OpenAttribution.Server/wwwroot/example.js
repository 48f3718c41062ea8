// The example page's buttons: what a site does with the tracker (window.oa, from /t.js).
(function () {
  "use strict";
  var status = document.getElementById("status");
  if (!document.querySelector("script[data-write-key]").getAttribute("data-write-key")) {
    document.getElementById("key-missing").hidden = false;
  }

  function report(text) {
    return window.oa.flush().then(function () { status.textContent = text; });
  }

  document.getElementById("signup").addEventListener("submit", function (event) {
    event.preventDefault();
    window.oa.identify(document.getElementById("email").value);
    window.oa.conversion("signup");
    report("Signed up.");
  });

  document.getElementById("buy").addEventListener("click", function () {
    window.oa.conversion("purchase", 49.9);
    report("Thank you for your order.");
  });
})();
