// The sign-in page: carries the page to go back to into the form (the server accepts local paths only) and says why
// the last attempt failed. No data from the URL is ever inserted as markup.
"use strict";
(function () {
  const query = new URLSearchParams(window.location.search);
  const returnUrl = query.get("returnUrl");
  if (returnUrl && returnUrl.startsWith("/") && !returnUrl.startsWith("//")) {
    document.getElementById("returnUrl").value = returnUrl;
  }
  const messages = {
    "invalid-key": "That API key is not accepted.",
    "expired": "Your session has ended; sign in again.",
  };
  const error = query.get("error");
  if (error) {
    document.getElementById("message").textContent = messages[error] || "Sign-in failed.";
  }
})();
