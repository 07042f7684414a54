// STUB: image output through OpenImageIO comes here.
