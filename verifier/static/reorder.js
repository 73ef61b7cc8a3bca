/* The pack builder's order of pieces (templates/packs/form.html, verifier/pack_pages.py).
 *
 * Without this script the form already works: each piece has a position field
 * ("order-<ref>") and the server sorts the chosen pieces by it. This script shows the chosen
 * pieces as one ordered list that can be rearranged by drag and drop (mouse), by pointer
 * (touch, pen), or with the Move up / Move down buttons of each item (keyboard, switch
 * access); each move is announced in an aria-live region. After every change it writes the
 * list's order back into the position fields, so what is submitted is what is shown.
 * Texts come from data-* attributes rendered by the server in the page's language.
 * No inline script anywhere: the Content-Security-Policy is script-src 'self'. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function enhance(box) {
    var list = box.querySelector("[data-reorder-list]");
    var status = box.querySelector("[data-reorder-status]");
    var panel = box.querySelector(".reorder__enhanced");
    if (!list || !status || !panel) {
      return;
    }
    var text = box.dataset;
    var pieces = Array.prototype.slice.call(box.querySelectorAll("[data-piece]"));
    var byRef = {};
    pieces.forEach(function (piece) {
      var box_ = piece.querySelector('input[type="checkbox"]');
      var position = piece.querySelector("[data-position]");
      var label = piece.querySelector("[data-piece-label]");
      if (box_ && position && label) {
        byRef[piece.dataset.piece] = { checkbox: box_, position: position, label: label };
      }
    });

    function labelOf(ref) {
      return byRef[ref].label.textContent.replace(/\s+/g, " ").trim();
    }

    function announce(message) {
      // Cleared first, so that the same words said twice are read twice.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    }

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
    }

    /* The list's order into the position fields: chosen pieces 1..k, the others after. */
    function write() {
      var order = items().map(function (item) {
        return item.dataset.item;
      });
      var next = order.length + 1;
      order.forEach(function (ref, index) {
        byRef[ref].position.value = String(index + 1);
      });
      pieces.forEach(function (piece) {
        var ref = piece.dataset.piece;
        if (byRef[ref] && order.indexOf(ref) === -1) {
          byRef[ref].position.value = String(next);
          next += 1;
        }
      });
      items().forEach(function (item, index, all) {
        item.querySelector("[data-up]").disabled = index === 0;
        item.querySelector("[data-down]").disabled = index === all.length - 1;
      });
    }

    function moved(item, focusButton) {
      var all = items();
      var position = all.indexOf(item) + 1;
      write();
      announce(
        fill(text.textMoved || "", {
          label: labelOf(item.dataset.item),
          position: position,
          count: all.length,
        })
      );
      if (focusButton) {
        var button = item.querySelector(focusButton);
        // The item at the end has that button disabled: keep the focus on the other one.
        (button && !button.disabled ? button : item.querySelector("button:not([disabled])")).focus();
      }
    }

    function move(item, step, focusButton) {
      if (step < 0 && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (step > 0 && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      } else {
        return;
      }
      moved(item, focusButton);
    }

    function button(kind, words, label) {
      var made = document.createElement("button");
      made.type = "button";
      made.className = "button button--secondary";
      made.setAttribute("data-" + kind, "");
      made.textContent = words;
      // "Move up — <piece>", so that a screen reader's list of buttons says which piece.
      made.setAttribute("aria-label", words + " — " + label);
      return made;
    }

    var dragging = null;

    function makeItem(ref) {
      var item = document.createElement("li");
      var label = labelOf(ref);
      item.className = "reorder__item";
      item.dataset.item = ref;
      item.draggable = true;
      var words = document.createElement("span");
      words.className = "reorder__label";
      words.textContent = label;
      var up = button("up", text.textMoveUp || "Up", label);
      var down = button("down", text.textMoveDown || "Down", label);
      up.addEventListener("click", function () {
        move(item, -1, "[data-up]");
      });
      down.addEventListener("click", function () {
        move(item, 1, "[data-down]");
      });
      item.append(words, up, down);

      /* HTML5 drag and drop (mouse). */
      item.addEventListener("dragstart", function (event) {
        dragging = item;
        item.classList.add("reorder__item--dragging");
        if (event.dataTransfer) {
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", ref);
        }
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("reorder__item--dragging");
        if (dragging) {
          moved(dragging, null);
        }
        dragging = null;
      });
      return item;
    }

    function dropTarget(y) {
      var after = null;
      items().some(function (other) {
        if (other === dragging) {
          return false;
        }
        var box_ = other.getBoundingClientRect();
        if (y < box_.top + box_.height / 2) {
          after = other;
          return true;
        }
        return false;
      });
      return after;
    }

    function place(y) {
      var before = dropTarget(y);
      if (before) {
        list.insertBefore(dragging, before);
      } else {
        list.appendChild(dragging);
      }
    }

    list.addEventListener("dragover", function (event) {
      if (!dragging) {
        return;
      }
      event.preventDefault();
      place(event.clientY);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
    });

    /* Pointer events: touch and pen, where HTML5 drag and drop does not fire. */
    list.addEventListener("pointerdown", function (event) {
      var item = event.target.closest("[data-item]");
      if (!item || event.pointerType === "mouse" || event.target.closest("button")) {
        return;
      }
      dragging = item;
      item.classList.add("reorder__item--dragging");
      item.setPointerCapture(event.pointerId);
    });
    list.addEventListener("pointermove", function (event) {
      if (dragging && event.pointerType !== "mouse") {
        event.preventDefault();
        place(event.clientY);
      }
    });
    function pointerEnd(event) {
      if (dragging && event.pointerType !== "mouse") {
        var item = dragging;
        item.classList.remove("reorder__item--dragging");
        dragging = null;
        moved(item, null);
      }
    }
    list.addEventListener("pointerup", pointerEnd);
    list.addEventListener("pointercancel", pointerEnd);

    /* The chosen pieces, in their current positions, make the first list. */
    Object.keys(byRef)
      .filter(function (ref) {
        return byRef[ref].checkbox.checked;
      })
      .sort(function (a, b) {
        return Number(byRef[a].position.value) - Number(byRef[b].position.value);
      })
      .forEach(function (ref) {
        list.appendChild(makeItem(ref));
      });

    /* Choosing a piece adds it at the end; unchoosing removes it. */
    Object.keys(byRef).forEach(function (ref) {
      byRef[ref].checkbox.addEventListener("change", function () {
        var existing = list.querySelector('[data-item="' + CSS.escape(ref) + '"]');
        if (byRef[ref].checkbox.checked && !existing) {
          list.appendChild(makeItem(ref));
          write();
          announce(
            fill(text.textAdded || "", {
              label: labelOf(ref),
              position: items().length,
              count: items().length,
            })
          );
        } else if (!byRef[ref].checkbox.checked && existing) {
          existing.remove();
          write();
          announce(fill(text.textRemoved || "", { label: labelOf(ref) }));
        }
      });
    });

    panel.hidden = false;
    box.classList.add("reorder--enhanced");
    write();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-reorder]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
