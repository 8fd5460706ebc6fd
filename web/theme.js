// Sets <html data-theme> to the effective colour theme before the page is first painted: the
// choice made on an earlier visit, else the system's preference. The stylesheets key their
// colours on data-theme alone; once started, the app keeps it up to date (web/src/hooks/theme.rs).
// A classic script from this origin, so the Content-Security-Policy allows it.
(function () {
  let theme = null;
  try {
    theme = localStorage.getItem('secrets-guard/v1/theme');
  } catch (e) {
    // Storage disabled: the system's preference applies.
  }
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.dataset.theme = theme;
})();
