// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // After a search, move focus to the results heading (it holds the count) so that a screen
  // reader announces the outcome and the next Tab reaches the first result.
  var heading = document.getElementById("results-heading");
  if (heading && heading.getAttribute("data-focus-on-load") === "yes" && !location.hash) {
    heading.focus({ preventScroll: false });
  }
  // On wide screens the filters are a sidebar: open their disclosure (CSS shows them anyway
  // where the browser supports ::details-content).
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 801px)").matches) {
    filters.open = true;
  }
})();
