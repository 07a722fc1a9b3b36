/* "Stay in the loop": small enhancements to a form that works without them.
   - Shows the thank-you note when the page is opened with ?subscribed (the provider's return
     address); CSS :target already shows it when the #fragment survives the redirect.
   - Fills the return-address field from the address bar when the build had no site_url.
   - Stops a post whose honeypot has been filled in (only a bot fills an invisible field). */
(function () {
  "use strict";

  function setUp(form) {
    var param = form.getAttribute("data-bs-thanks-param") || "subscribed";
    var thanks = document.getElementById(form.getAttribute("data-bs-thanks-id") || "");
    if (thanks && new URLSearchParams(window.location.search).has(param)) {
      thanks.classList.add("bs-newsletter__thanks--shown");
      if (window.location.hash !== "#" + thanks.id) {
        thanks.scrollIntoView({block: "center"});
      }
    }

    var back = form.querySelector("[data-bs-return]");
    if (back && !back.value) {
      back.value = window.location.origin + window.location.pathname +
        back.getAttribute("data-bs-return");
      back.disabled = false;
    }

    var honeypot = form.querySelector("[data-bs-honeypot]");
    form.addEventListener("submit", function (event) {
      if (honeypot && honeypot.value !== "") {
        event.preventDefault();
      }
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-bs-newsletter]");
    for (var i = 0; i < forms.length; i++) {
      setUp(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
