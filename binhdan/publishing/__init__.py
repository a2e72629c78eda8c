"""One build session, from its staging folder to a published site; web-server configurations."""
