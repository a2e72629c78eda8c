"""Progress data: the plans' targets, reported figures, what the site counts itself,
and how each is shown."""
