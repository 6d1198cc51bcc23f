// Autocomplete for the search box: the ARIA 1.2 combobox pattern (list autocomplete), as a
// pure enhancement. Without this script the box is a plain search field and works the same.
// Keys: Down/Up move through the suggestions (Alt+Down opens the list), Enter runs the
// highlighted one, Escape closes the list (a second Escape clears the box), Tab leaves.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !input.form || !window.fetch) { return; }
  var form = input.form;
  var listId = "q-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var wrap = document.createElement("div");
  wrap.className = "combobox";
  // Moving the box into its wrapper takes focus from it: give it back (the home page's
  // search box has focus, or is about to by its autofocus).
  var hadFocus = document.activeElement === input;
  input.parentNode.insertBefore(wrap, input);
  wrap.appendChild(input);
  wrap.appendChild(list);
  wrap.appendChild(status);
  if (hadFocus || (input.autofocus && document.activeElement === document.body)) {
    input.focus();
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var items = [];
  var active = -1;
  var timer = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (!items.length) { return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function mark(index) {
    var options = list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    if (index < 0 || index >= items.length) { return; }
    input.value = items[index].query;
    close();
    form.submit();
  }

  function render(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = listId + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = s.text;
      if (s.kind !== "word") {
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = s.kind === "force" ? " (force)" : " (filter)";
        li.appendChild(kind);
      }
      // mousedown, not click: it runs before the input loses focus and closes the list.
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    active = -1;
    status.textContent = found.length
      ? found.length + " suggestion" + (found.length === 1 ? "" : "s") + ", use the arrow keys"
      : "";
    if (found.length) { open(); } else { close(); }
  }

  function ask() {
    var q = input.value;
    if (q === asked) { open(); return; }
    asked = q;
    if (q.trim().length < 2) { render([]); return; }
    fetch("/api/suggest?q=" + encodeURIComponent(q), {headers: {accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (data) { if (input.value === q) { render(data.suggestions || []); } })
      .catch(function () { render([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });

  input.addEventListener("keydown", function (ev) {
    var expanded = !list.hidden;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (!expanded) { ask(); open(); if (ev.altKey) { return; } }
      if (items.length) { mark(active + 1 >= items.length ? 0 : active + 1); }
    } else if (ev.key === "ArrowUp") {
      if (!expanded) { return; }
      ev.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (ev.key === "Enter") {
      if (expanded && active >= 0) { ev.preventDefault(); choose(active); }
    } else if (ev.key === "Escape") {
      if (expanded) { ev.preventDefault(); close(); } else if (input.value) {
        ev.preventDefault(); input.value = ""; asked = "";
      }
    } else if (ev.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", function () { close(); });
})();
