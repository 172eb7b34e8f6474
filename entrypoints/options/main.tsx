import data from 'virtual:chartlight/panel-data';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/lib/panel/Options';
import { knownIds } from '@/lib/settings';
import '@/lib/panel/panel.css';

render(<Options api={browser} known={knownIds(data)} />, document.getElementById('app')!);
