// The ipywidgets HTML manager (embed-amd.js) loads its own chunks and fonts relative to its RequireJS module name,
// "@jupyter-widgets/html-manager/dist/...", which RequireJS would resolve against the page's folder. Map that name to
// the copy the book serves itself (book/fetch_static.py), so a page with widgets needs nothing from the internet.
(function () {
  var root = document.documentElement.dataset.content_root || "";
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": root + "_static/vendor/html-manager" },
  });
})();
