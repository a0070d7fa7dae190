// The comment form of a consultation's section, as progressive enhancement: without this
// script a person copies the passage they mean into the field "Markierte Stelle". With it,
// selecting words in the section's text offers a button that puts the selection into that
// field (and moves the focus there, so keyboard and screen-reader users hear where it went).
// The server checks the passage against the section's text either way.
'use strict';

(function () {
  function init() {
    const source = document.querySelector('[data-passage-source]');
    const field = document.getElementById('field-passage');
    const button = document.querySelector('[data-passage-take]');
    if (!source || !field || !button) return;
    let chosen = '';
    const update = () => {
      const selection = document.getSelection();
      const text = selection ? selection.toString().replace(/\s+/g, ' ').trim() : '';
      const inside = selection && selection.rangeCount > 0 &&
        source.contains(selection.getRangeAt(0).commonAncestorContainer);
      if (inside && text) chosen = text;
      button.hidden = !chosen;
    };
    document.addEventListener('selectionchange', update);
    button.addEventListener('click', () => {
      if (!chosen) return;
      field.value = chosen;
      field.focus();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
