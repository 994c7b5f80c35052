window.renderErrors = [];
window.onerror = function (message) {
  window.renderErrors.push(String(message));
  var marker = document.getElementById('render-check');
  if (marker) marker.textContent = 'render-check: error: ' + message;
};
