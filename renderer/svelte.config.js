// Svelte compiler options for the renderer: runes everywhere, so no component falls back to legacy mode.
export default {
  compilerOptions: {
    runes: true,
  },
};
