/*
 * The explorer's start in the browser: GraphiQL (from the gateway's own files) over the
 * gateway's own /graphql, opening the tabs the page lists in #explorer-defaults. Served as a
 * file, never inline, so the page's content-security-policy runs no inline script.
 */
(function () {
  'use strict';
  var defaults = JSON.parse(document.getElementById('explorer-defaults').textContent);
  var prefix = 'court-asset-graph:' + defaults.storageKey + ':';

  // GraphiQL keeps its tabs in storage and prefers them to the defaults: a namespace per set of
  // defaults opens fresh tabs when the token, the case or the operations change.
  function namespaced(store) {
    var own = function () {
      var keys = [];
      for (var i = 0; i < store.length; i += 1) {
        var key = store.key(i);
        if (key !== null && key.indexOf(prefix) === 0) keys.push(key);
      }
      return keys;
    };
    return {
      getItem: function (key) { return store.getItem(prefix + key); },
      setItem: function (key, value) { store.setItem(prefix + key, value); },
      removeItem: function (key) { store.removeItem(prefix + key); },
      clear: function () { own().forEach(function (key) { store.removeItem(key); }); },
      get length() { return own().length; },
    };
  }

  var storage;
  try {
    storage = namespaced(window.localStorage);
  } catch (e) {
    storage = null; // storage refused (private mode): tabs last as long as the page
  }

  var first = defaults.tabs[0] || {};
  var fetcher = GraphiQL.createFetcher({ url: new URL(defaults.endpoint, window.location.href).href });
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: defaults.tabs,
      // GraphiQL 3 fills the editors from these, not from the first tab: the same values, so the first tab opens filled.
      query: first.query,
      variables: first.variables,
      headers: first.headers,
      storage: storage,
      // Development's token is pre-filled and kept; a token typed in production is not stored.
      shouldPersistHeaders: defaults.persistHeaders,
      defaultEditorToolsVisibility: defaults.persistHeaders ? 'headers' : 'variables',
    }),
  );
})();
