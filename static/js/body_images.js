/* The story body editor's "Insert" buttons (articles/admin/body_images.py).
 *
 * "Insert image from the library" opens the library's list, "Upload new image" its add
 * form, "Insert gallery", "Insert audio" and "Insert video" the lists of galleries and
 * files, each as the admin's own related-object popup (RelatedObjectLookups.js, loaded
 * on every change form). The popup hands the chosen or new row's id to a hidden input
 * here, one per kind; the editor then writes `[image N]` (or `[gallery N]`, ...) as a
 * paragraph where the cursor is, which the story page renders from the library
 * (library/placements.py).
 *
 * Under the editor, a card for each image the body places: its thumbnail, title and
 * alt text, so a reporter sees which picture "[image 7]" is.
 *
 * Without JavaScript there is no button: typing `[image 7]` on a line of its own does
 * the same (the image's page on the desk shows its number).
 */
(function () {
  "use strict";

  var script = document.getElementById("body-images-script");
  var textarea = document.getElementById("id_body");
  if (!script || !textarea || !window.django || !window.dismissRelatedLookupPopup) {
    return;
  }
  var chooseUrl = script.dataset.chooseUrl;
  var uploadUrl = script.dataset.uploadUrl;
  var cardUrl = script.dataset.cardUrl;
  var galleryUrl = script.dataset.galleryUrl;
  var mediaUrl = script.dataset.mediaUrl;
  var REFERENCE = /\[[ \t]*image[ \t]+([0-9]{1,18})[ \t]*\]/gi;
  var editor = null;
  var cards = {}; // id -> promise of its card's data (null: no such image)
  var panel = null; // the buttons and the cards, made once
  var list = null;
  var targets = {}; // kind -> its hidden input

  function useEditor(found) {
    if (found && found !== editor) {
      editor = found;
      editor.on("update", showCards);
    }
    build();
  }

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail && event.detail.textarea === textarea) {
      useEditor(event.detail.editor);
    }
  });
  // The editor may have been made before this script ran: Tiptap keeps itself on its
  // element.
  function existingEditor() {
    var container = textarea.closest(".prose-editor");
    var element = container && container.querySelector(".ProseMirror[contenteditable]");
    return element && element.editor;
  }
  if (existingEditor()) {
    useEditor(existingEditor());
  } else {
    window.setTimeout(function () {
      useEditor(existingEditor());
    }, 1500);
  }

  function build() {
    if (panel) {
      return;
    }
    panel = document.createElement("div");
    panel.className = "body-images";
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "Insert into the body");

    if (chooseUrl) {
      panel.appendChild(button("Insert image from the library", "choose", "image", chooseUrl + "?_to_field=id"));
    }
    if (uploadUrl) {
      panel.appendChild(button("Upload new image and insert it", "upload", "image", uploadUrl + "?"));
    }
    if (galleryUrl) {
      panel.appendChild(button("Insert gallery", "gallery", "gallery", galleryUrl + "?_to_field=id"));
    }
    if (mediaUrl) {
      panel.appendChild(button("Insert audio", "audio", "audio", mediaUrl + "?_to_field=id&kind__exact=audio"));
      panel.appendChild(button("Insert video", "video", "video", mediaUrl + "?_to_field=id&kind__exact=video"));
    }
    list = document.createElement("ul");
    list.className = "body-images__cards";
    panel.appendChild(list);

    // Under the editor's row (not beside the editor in it), above the help text.
    var container = textarea.closest(".flex-container") || textarea.closest(".prose-editor") || textarea;
    container.insertAdjacentElement("afterend", panel);
    showCards();
  }

  // One hidden input per kind: the admin's popups hand the chosen row's id to the
  // input their window is named after, through jQuery's change event.

  function target(kind) {
    if (!targets[kind]) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.id = "id_body_" + kind + "_choice";
      panel.appendChild(input);
      window.django.jQuery(input).on("change", function () {
        var id = input.value;
        input.value = "";
        if (/^[0-9]{1,18}$/.test(id)) {
          insert(kind, id);
        }
      });
      targets[kind] = input;
    }
    return targets[kind];
  }

  function button(label, name, kind, url) {
    var input = target(kind);
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button body-images__" + name;
    element.textContent = label;
    element.addEventListener("click", function () {
      // The name tells the popup which input to hand its answer to (index 1: this
      // page is not itself a popup).
      var popup = window.open(
        url + "&_popup=1",
        input.id + "__1",
        "height=700,width=1000,resizable=yes,scrollbars=yes"
      );
      if (popup) {
        window.relatedWindows.push(popup);
        popup.focus();
      }
    });
    return element;
  }

  function insert(kind, id) {
    var line = "[" + kind + " " + id + "]";
    if (!editor) {
      useEditor(existingEditor());
    }
    if (editor) {
      editor.chain().focus().insertContent("<p>" + line + "</p>").run();
    } else {
      textarea.value += "\n<p>" + line + "</p>";
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    showCards();
  }

  function placedIds() {
    var html = editor ? editor.getHTML() : textarea.value;
    var ids = [];
    var match;
    REFERENCE.lastIndex = 0;
    while ((match = REFERENCE.exec(html)) !== null) {
      var id = String(Number(match[1]));
      if (ids.indexOf(id) === -1) {
        ids.push(id);
      }
    }
    return ids;
  }

  function card(id) {
    if (!(id in cards)) {
      cards[id] = window
        .fetch(cardUrl.replace(/0\/card\/$/, id + "/card/"), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    }
    return cards[id];
  }

  function showCards() {
    if (!list || !cardUrl) {
      return;
    }
    var ids = placedIds();
    Promise.all(ids.map(card)).then(function (found) {
      list.replaceChildren();
      found.forEach(function (data, index) {
        var item = document.createElement("li");
        item.className = "body-images__card";
        if (!data) {
          item.classList.add("body-images__card--missing");
          item.textContent = "[image " + ids[index] + "]: no such image in the library; the page shows nothing there.";
          list.appendChild(item);
          return;
        }
        if (data.thumbnail) {
          var picture = document.createElement("img");
          picture.src = data.thumbnail;
          picture.alt = "";
          picture.width = 90;
          picture.height = 60;
          item.appendChild(picture);
        }
        var text = document.createElement("span");
        var link = document.createElement("a");
        link.href = data.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = data.title;
        var code = document.createElement("code");
        code.textContent = data.placement;
        text.appendChild(code);
        text.appendChild(document.createTextNode(" "));
        text.appendChild(link);
        var alt = document.createElement("small");
        alt.textContent = data.alt ? "Alt text: " + data.alt : "No alt text yet: add it in the library.";
        text.appendChild(alt);
        item.appendChild(text);
        list.appendChild(item);
      });
    });
  }
})();
