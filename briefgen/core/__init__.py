"""What every stage shares: problems as values (diagnostics), the story model, slugs,
the URL scheme and a file of the site (urls), the site's folder names (layout), YAML
read with the line of every key (frontmatter, yaml_errors), file names and links a
site may hold, the security headers, the worker pool and progress. Imports nothing of
briefgen outside itself."""
