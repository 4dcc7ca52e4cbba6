import { defineBackground } from 'wxt/utils/define-background';
import { startBackgroundService } from '../utils/background/background-service.js';

export default defineBackground({
  type: 'module',
  main: () => {
    startBackgroundService();
  },
});
