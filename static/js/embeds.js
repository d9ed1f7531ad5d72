// Embeds' facades (articles/embeds.py): until the reader presses "Load", the page makes
// no request to the provider. Then the facade's link is replaced by the provider's
// iframe, whose address the server derived from its allow-list (data-embed-src); CSP's
// frame-src allows exactly those hosts. Without this script the facade is a plain link.
(function () {
  "use strict";

  // What a provider's player may use; nothing else (no camera, microphone, location…).
  var PERMISSIONS = "autoplay; encrypted-media; fullscreen; picture-in-picture; clipboard-write";
  // Players run their own scripts but cannot navigate this page or open pop-ups that
  // keep access to it.
  var SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";

  function load(figure) {
    var iframe = document.createElement("iframe");
    iframe.src = figure.dataset.embedSrc;
    iframe.title = figure.dataset.embedTitle || "Embedded content";
    iframe.setAttribute("allow", PERMISSIONS);
    iframe.setAttribute("sandbox", SANDBOX);
    iframe.setAttribute("allowfullscreen", "");
    iframe.setAttribute("loading", "lazy");
    // YouTube refuses to play without knowing the embedding site (the origin only).
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    iframe.className = "embed__frame";
    var link = figure.querySelector(".embed__link");
    figure.replaceChildren(iframe);
    if (link) {
      // Keep the way to the original, under the player.
      var caption = document.createElement("figcaption");
      caption.appendChild(link);
      figure.appendChild(caption);
    }
    figure.classList.add("embed--loaded");
    iframe.focus();
  }

  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
    var button = figure.querySelector(".embed__load");
    if (!button) return;
    figure.querySelectorAll("[hidden]").forEach(function (element) {
      element.hidden = false;
    });
    button.addEventListener("click", function () {
      load(figure);
    });
  });
})();
