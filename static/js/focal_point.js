// The library image page: a click on the picture sets its focal point (the fields
// focal_point_x and focal_point_y, fractions 0-1 of the width and height), and the
// marker shows where it is. Loaded as a file (the Content-Security-Policy allows no
// inline script); without JavaScript the two fields can be typed into.
(function () {
  "use strict";

  function fraction(value, fallback) {
    const number = parseFloat(value);
    return Number.isFinite(number) ? Math.min(Math.max(number, 0), 1) : fallback;
  }

  function setUp(picker) {
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const inputX = document.getElementById("id_focal_point_x");
    const inputY = document.getElementById("id_focal_point_y");
    const startX = fraction(picker.dataset.x, 0.5);
    const startY = fraction(picker.dataset.y, 0.5);

    function show(x, y) {
      marker.style.left = (x * 100).toFixed(1) + "%";
      marker.style.top = (y * 100).toFixed(1) + "%";
    }

    function showFields() {
      show(fraction(inputX.value, 0.5), fraction(inputY.value, 0.5));
    }

    show(startX, startY);
    if (!image || !inputX || !inputY) {
      return; // read-only: the marker shows the point, nothing sets it
    }
    image.addEventListener("click", function (event) {
      const box = image.getBoundingClientRect();
      const x = fraction((event.clientX - box.left) / box.width, 0.5);
      const y = fraction((event.clientY - box.top) / box.height, 0.5);
      inputX.value = x.toFixed(3);
      inputY.value = y.toFixed(3);
      show(x, y);
    });
    inputX.addEventListener("input", showFields);
    inputY.addEventListener("input", showFields);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  });
})();
