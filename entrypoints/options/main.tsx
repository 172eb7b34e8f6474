import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/lib/panel/Options';
import '@/lib/panel/panel.css';

render(<Options api={browser} />, document.getElementById('app')!);
