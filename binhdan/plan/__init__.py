"""The portal's state after loading: the page plan, every address it publishes, its
feeds, and the view that templates read."""
