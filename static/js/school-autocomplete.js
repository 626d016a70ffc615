// School pickers as GOV.UK's accessible autocomplete (ADR 0011). Progressive enhancement:
// the page works without this file, as a text input the server resolves by name or URN.
// The suggestions come from the form's own search (data-school-search), which returns
// only the schools that form lets this person pick.
(function () {
  "use strict";
  if (!window.accessibleAutocomplete || !window.fetch || !window.AbortController) return;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function enhance(input, url) {
    var container = document.createElement("div");
    container.className = "app-school-autocomplete";
    input.parentNode.insertBefore(container, input);
    input.parentNode.removeChild(input);
    var pending = null;

    window.accessibleAutocomplete({
      element: container,
      id: input.id, // the label's for, and the error summary's link, still reach it
      name: input.name, // what is sent is the label, "Name (URN 123456)": the server resolves it
      defaultValue: input.value,
      minLength: 2,
      inputClasses: input.classList.contains("govuk-input--error") ? "govuk-input--error" : null,
      source: function (query, populate) {
        if (pending) pending.abort(); // only the latest keystroke's answer is shown
        pending = new AbortController();
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: pending.signal,
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            populate(data.results);
          })
          .catch(function (error) {
            if (error.name !== "AbortError") populate([]);
          });
      },
      templates: {
        // The default value arrives as the text typed; suggestions as the search's rows.
        inputValue: function (school) {
          if (!school) return "";
          return typeof school === "string" ? school : school.label;
        },
        suggestion: function (school) {
          if (typeof school === "string") return escapeHtml(school);
          var place = school.town ? ", " + escapeHtml(school.town) : "";
          return escapeHtml(school.name) + " (URN " + escapeHtml(school.urn) + place + ")";
        },
      },
      tNoResults: function () {
        return "No school found. Check the name, or enter the URN";
      },
    });
  }

  document.querySelectorAll("form[data-school-search]").forEach(function (form) {
    var url = form.getAttribute("data-school-search");
    form.querySelectorAll("input.app-school-search").forEach(function (input) {
      enhance(input, url);
    });
  });
})();
