"""The theme: templates found and rendered with Jinja2, assets fingerprinted, static
files listed (templates); the template stage, which pages to render and which to reuse
(rendering). May import core, change, settings and pages."""
