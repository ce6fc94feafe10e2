import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.WINTEHR_API_URL ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  // The shared wire contract (packages/contracts) is compiled from source with the app.
  resolve: {
    alias: { '@wintehr/contracts': fileURLToPath(new URL('../packages/contracts/src/index.ts', import.meta.url)) },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/fhir': api,
      '/health': api,
      '/cds-services': api,
      '/oauth': api,
      '/.well-known': api,
      '/smart-demo': api,
      '/dicomweb': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  // Cornerstone3D's DICOM image loader decodes in a module worker that imports its codecs: ES workers, and no
  // pre-bundling of the loader in dev (esbuild would drop the worker's import.meta.url).
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@cornerstonejs/dicom-image-loader'] },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rollupOptions: {
      output: {
        // Vendor code changes rarely: separate chunks stay cached across app releases.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          mui: ['@mui/material', '@emotion/react', '@emotion/styled'],
          query: ['@tanstack/react-query'],
        },
      },
    },
  },
});
