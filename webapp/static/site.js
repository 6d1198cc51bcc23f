// Progressive enhancement only: the pages work without JavaScript.
(function () {
  "use strict";
  var sort = document.getElementById("sort");
  if (sort && sort.form) {
    sort.addEventListener("change", function () { sort.form.submit(); });
    var apply = sort.form.querySelector(".js-hide");
    if (apply) { apply.hidden = true; }
  }
})();
