// Placeholder translation unit; removed when the stage's first real source lands.
