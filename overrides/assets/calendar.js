/* Calendar subscriptions follow the address the site is served from: each webcal: link is
   made from its calendar's relative address, so a copy of the portal on another address (a
   test server, a mirror, another sub-path) subscribes to its own calendar, not production's. */
(function () {
  "use strict";
  var links = document.querySelectorAll("a[data-webcal]");
  for (var i = 0; i < links.length; i++) {
    var address = new URL(links[i].getAttribute("data-webcal"), document.baseURI).href;
    links[i].href = address.replace(/^https?:/, "webcal:");
    links[i].hidden = false;
  }
}());
