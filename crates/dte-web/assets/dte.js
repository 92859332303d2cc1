// DTE's small page script: the phone menu toggle. Everything else is plain HTML and htmx.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("button.menu");
  var nav = document.getElementById("nav");
  if (!button || !nav) return;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// Pages answer a refused form (422, 409, …) with the page and its messages: let htmx show
// those answers too, not only successes.
if (window.htmx) {
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[2345]..", swap: true, error: false }
  ];
}

// The class form's electronic fence: show the circle's fields or the polygon's vertices,
// whichever is chosen (without the script both stay visible).
function showFenceFields(form) {
  var chosen = form.querySelector("input[name=fence_kind]:checked");
  var polygon = chosen && chosen.value === "polygon";
  var circle = form.querySelector(".fence-circle");
  var vertices = form.querySelector(".fence-polygon");
  if (circle) circle.hidden = polygon;
  if (vertices) vertices.hidden = !polygon;
}
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("class-form");
  if (!form) return;
  showFenceFields(form);
  form.addEventListener("change", function (event) {
    if (event.target.name === "fence_kind") showFenceFields(form);
  });
});
