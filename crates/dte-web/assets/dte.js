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
