// Progressive enhancement only: every feature below also works, more plainly, without it.
(function () {
  "use strict";

  // The address the reader used, for the printed page (the server only knows the canonical one).
  function showAddressForPrint() {
    document.querySelectorAll("[data-page-address]").forEach(function (el) {
      el.textContent = window.location.href.split("#")[0];
    });
  }

  // Paper cannot open a "Show all": print what it holds.
  function openForPrint() {
    document.querySelectorAll("details.related-more").forEach(function (el) { el.open = true; });
  }

  // Lazy images (gallery photos after the first, card thumbnails, all inside <picture>) have not
  // loaded below the fold, and paper has no scrolling to load them: make every one eager.
  function makeImagesEager() {
    Array.prototype.forEach.call(document.images, function (img) {
      if (img.loading === "lazy") { img.loading = "eager"; }
    });
  }

  // Resolves when every image has loaded or failed (printing then goes on without it), or after
  // ten seconds. It polls rather than listening once: a lazy image that has not started may report
  // itself complete, and Chromium may restart its load when it becomes eager (or, in a <picture>,
  // when it picks another width from srcset).
  function loadEveryImage() {
    var images = Array.prototype.slice.call(document.images);
    // The address each image failed at: a <picture> may move on to another width, whose load counts.
    var failedAt = images.map(function () { return null; });
    images.forEach(function (img, i) {
      img.addEventListener("error", function () { failedAt[i] = img.currentSrc; });
    });
    makeImagesEager();
    function done(img, i) {
      return img.complete && (img.naturalWidth > 0 || failedAt[i] === img.currentSrc);
    }
    return new Promise(function (resolve) {
      var waited = 0;
      (function check() {
        if (images.every(done) || waited >= 10000) { resolve(); return; }
        waited += 100;
        setTimeout(check, 100);
      })();
    });
  }

  function setUpPrint() {
    var buttons = document.querySelectorAll("[data-print]");
    var printing = false;
    // The print button, and Ctrl+P / Cmd+P on pages that have one, wait for every photo first.
    function printWhenLoaded(button) {
      if (printing) { return; }
      printing = true;
      if (button) { button.disabled = true; }
      showAddressForPrint();
      openForPrint();
      loadEveryImage().then(function () {
        printing = false;
        if (button) { button.disabled = false; }
        window.print();
      });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { printWhenLoaded(button); });
    });
    if (buttons.length) {
      document.addEventListener("keydown", function (event) {
        if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.key === "p" || event.key === "P")) {
          event.preventDefault();
          printWhenLoaded(buttons[0]);
        }
      });
    }
    // The browser's own Print menu cannot be made to wait: start every photo loading now (photos
    // already in view are there; Chromium also loads lazy images for the printout itself).
    window.addEventListener("beforeprint", function () {
      showAddressForPrint();
      openForPrint();
      makeImagesEager();
    });
  }

  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var link = document.querySelector(".menu-link");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    button.hidden = false;
    if (link) { link.hidden = true; }
    document.documentElement.classList.add("js-menu");
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("is-open")) {
        setOpen(false);
        button.focus();
      }
    });
    var close = menu.querySelector(".menu-close");
    if (close) {
      close.addEventListener("click", function (event) {
        event.preventDefault();
        setOpen(false);
        button.focus();
      });
    }
  }

  function setUpFilters() {
    // Closed on phones so results come first; open where there is room.
    if (window.matchMedia("(min-width: 48em)").matches) {
      document.querySelectorAll("[data-filter-panel]").forEach(function (panel) { panel.open = true; });
    }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(field);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUpCopyLink() {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      var status = button.parentNode.querySelector("[data-copy-status]");
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(button.getAttribute("data-copy-link")).then(function () {
          button.textContent = "Copied";
          button.classList.add("is-done");
          if (status) { status.textContent = "Link copied to the clipboard."; }
          window.setTimeout(function () {
            button.textContent = label;
            button.classList.remove("is-done");
          }, 4000);
        }, function () {
          if (status) { status.textContent = "Could not copy. The address is " + button.getAttribute("data-copy-link"); }
        });
      });
    });
  }

  function setUpFeedback() {
    document.querySelectorAll("[data-feedback]").forEach(function (section) {
      var status = section.querySelector("[data-feedback-status]");
      var ask = section.querySelector(".feedback-ask");
      var more = section.querySelector(".feedback-more");
      var thanks = section.querySelector(".feedback-thanks");
      if (window.location.hash === "#feedback-thanks" || window.location.hash === "#feedback-more") { return; }
      // The thanks is said once, in the live status; the :target messages are for pages without JS.
      function show(element) {
        [ask, more, thanks].forEach(function (el) { if (el) { el.classList.remove("is-shown"); } });
        section.classList.add("is-answered");
        if (element) { element.classList.add("is-shown"); }
      }
      section.querySelectorAll("form").forEach(function (form) {
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          var data = new FormData(form);
          if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
          fetch(form.action, {
            method: "POST", body: data, credentials: "same-origin",
            headers: { "Accept": "application/json" }
          }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (body) {
              if (!response.ok) {
                status.textContent = body.error || "Sorry, your answer could not be sent. Please try again later.";
                return;
              }
              if (body.ask_more) {
                show(more);
                status.textContent = "";
                more.querySelector("textarea").focus();
              } else {
                show(null);
                status.textContent = "Thank you for your feedback.";
              }
            });
          }, function () {
            status.textContent = "Sorry, your answer could not be sent. Please try again later.";
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPrint();
    setUpMenu();
    setUpFilters();
    setUpCopyLink();
    setUpFeedback();
  });
})();
