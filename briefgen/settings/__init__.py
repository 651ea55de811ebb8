"""The site's settings: `briefgen.yaml` (config), `outlets.yaml` (outlets) and the words
a page shows in the site's language (i18n, with locales/). May import core and the
change layer's recorded reads."""
