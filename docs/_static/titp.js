/* The TITP site's one script: the status filter of the claim cards and the copy buttons of the
   corrections. Local, no request, works from file://; without it every card shows and the
   suggested text can be selected by hand. */
(function () {
  "use strict";

  function filter(bar) {
    var list = document.getElementById(bar.dataset.for);
    if (!list) return;
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-status]"));
    var shown = bar.querySelector(".titp-filter-shown");
    var cards = Array.prototype.slice.call(list.querySelectorAll("[data-status]"));
    function apply(status) {
      var n = 0;
      cards.forEach(function (card) {
        card.hidden = status !== "" && card.dataset.status !== status;
        if (!card.hidden) n += 1;
      });
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.status === status)); });
      if (shown) shown.textContent = status ? n + " of " + cards.length + " claims shown." : "";
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        apply(b.dataset.status);
        history.replaceState(null, "", b.dataset.status ? "#status-" + b.dataset.status : location.pathname);
      });
    });
    bar.hidden = false;
    var wanted = /^#status-(.+)$/.exec(location.hash);
    if (wanted && buttons.some(function (b) { return b.dataset.status === wanted[1]; })) apply(wanted[1]);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return Promise.resolve(fallback(text));
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy refused");
  }

  function copyButton(button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select the text to copy it";
      }).then(function () {
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }

  function start() {
    document.querySelectorAll(".titp-filter").forEach(filter);
    document.querySelectorAll("button.titp-copy[data-copy]").forEach(copyButton);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
