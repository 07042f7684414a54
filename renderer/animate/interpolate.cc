// STUB: the animation helper writes interpolation here.
