// Applies a colour theme the user chose on an earlier visit before the page is first painted
// (the app, once started, keeps <html data-theme> up to date itself; see web/src/hooks/theme.rs).
// A classic script from this origin, so the Content-Security-Policy allows it.
try {
  const theme = localStorage.getItem('secrets-guard/v1/theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch (e) {
  // Storage disabled: the system's preference applies (CSS media query).
}
