(function () {
  var box = document.getElementById('only-regressions');
  function apply() {
    var items = document.querySelectorAll('[data-status]');
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = box.checked &&
          items[i].getAttribute('data-status') !== 'regression';
    }
  }
  box.addEventListener('change', apply);
  apply();
  if (window.renderErrors.length === 0) {
    document.getElementById('render-check').textContent = 'render-check: ok';
  }
})();
