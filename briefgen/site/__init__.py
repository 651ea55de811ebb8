"""The site as a whole, assembled from every story's entry (assemble): what is
published and listed, tags, threads, related stories, outlets. May import core,
settings and story's values."""
