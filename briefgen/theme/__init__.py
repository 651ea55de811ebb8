"""The theme: templates found and rendered with Jinja2, assets fingerprinted, static
files listed (templates). May import core, settings and pages."""
