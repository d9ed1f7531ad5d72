/* The story desk's change form: nothing typed is lost.
 *
 * - Autosave: every few seconds, what has changed since the last autosave goes to the
 *   server as this editor's autosave (not a save of the story, not a revision); the
 *   same request keeps the edit lock alive while the page is open.
 * - Leaving the page with unsaved changes asks first.
 * - Leaving the page releases the edit lock at once (navigator.sendBeacon).
 *
 * No inline script: the endpoints come from data attributes on this script's element.
 */
(function () {
  "use strict";

  var AUTOSAVE_EVERY_MS = 5000;
  var HEARTBEAT_EVERY_MS = 30000;

  var script = document.getElementById("desk-script");
  var form = document.getElementById("story_form");
  if (!script || !form) {
    return;
  }
  var autosaveUrl = script.dataset.autosaveUrl;
  var unlockUrl = script.dataset.unlockUrl;
  var status = document.getElementById("autosave-status");
  var dirty = false;        // changed since the last save of the story
  var pending = false;      // changed since the last autosave
  var submitting = false;
  var lastSent = 0;

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function formBody() {
    var data = new FormData(form);
    var body = new FormData();
    data.forEach(function (value, name) {
      // Files cannot be autosaved; the workflow fields belong to the step, not the story.
      if (typeof value === "string" && name.indexOf("step-") !== 0 && name !== "_step") {
        body.append(name, value);
      }
    });
    return body;
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // heartbeat: only keep the edit lock; otherwise keep what was typed, if anything.
  function autosave(heartbeat) {
    if (!autosaveUrl || submitting) {
      return;
    }
    var now = Date.now();
    var body;
    if (pending) {
      pending = false;
      body = formBody();
    } else if (heartbeat && now - lastSent >= HEARTBEAT_EVERY_MS) {
      body = new FormData();
      body.append("heartbeat", "1");
    } else {
      return;
    }
    lastSent = now;
    fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (dirty && answer.saved_at_label) {
          say("Your changes were autosaved at " + answer.saved_at_label +
              " (not saved to the story yet).");
        }
        if (answer.also_editing) {
          say("Being edited by " + answer.also_editing + " too: if you both save, " +
              "the second save will be refused.");
        }
      })
      .catch(function () {
        pending = true;
        say("Could not autosave just now; keep this page open and save the story.");
      });
  }

  function changed() {
    dirty = true;
    pending = true;
  }

  form.addEventListener("input", changed, true);
  form.addEventListener("change", changed, true);
  // The body editor edits a hidden field: watch it too.
  var observer = new MutationObserver(changed);
  form.querySelectorAll(".ProseMirror").forEach(function (editor) {
    observer.observe(editor, { characterData: true, childList: true, subtree: true });
  });

  form.addEventListener("submit", function () {
    submitting = true;
  });
  // Buttons outside the form (the workflow steps) submit it too.
  document.querySelectorAll("button[form=story_form]").forEach(function (button) {
    button.addEventListener("click", function () {
      submitting = true;
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      autosave(false);
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.addEventListener("pagehide", function () {
    if (unlockUrl && !submitting && navigator.sendBeacon) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken());
      navigator.sendBeacon(unlockUrl, body);
    }
  });

  window.setInterval(function () {
    autosave(false);
  }, AUTOSAVE_EVERY_MS);
  window.setInterval(function () {
    autosave(true);
  }, HEARTBEAT_EVERY_MS);
})();
