"""The composition root of the HTTP server: builds the context from settings (``wiring``) and one
app mounting the JSON API and the web pages (``app.create_app``)."""
