"""The content model: settings, items, help points and labels read from content/ and
data/, and every check on them."""
