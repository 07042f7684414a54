// STUB: the variations helper writes the formulas here.
