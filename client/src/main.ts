import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app') as HTMLElement });

// The page and its assets stay available offline (public/sw.js); not in development, where Vite
// serves changing files.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // No service worker (e.g. a plain-http LAN address): the board still works online.
  });
}
