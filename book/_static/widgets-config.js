// The ipywidgets HTML manager (embed-amd.js) defines the RequireJS modules @jupyter-widgets/base, /controls,
// /html-manager and /html-manager/dist/libembed-amd, and each loads its chunks and fonts from the folder of its own
// module URL, which RequireJS would resolve against the page's folder. Map every one of those names into the copy the
// book serves itself (book/fetch_static.py), so a page with widgets needs nothing from the internet.
(function () {
  var dist = (document.documentElement.dataset.content_root || "") + "_static/vendor/html-manager";
  var paths = { "@jupyter-widgets/html-manager/dist": dist };
  ["base", "controls", "output", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + "/" + name;
  });
  window.require.config({ paths: paths });
})();
