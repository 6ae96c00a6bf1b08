// esbuild bundles a webview's CSS imports into its own style sheet (dist/webview/<name>.css).
declare module '*.css';
