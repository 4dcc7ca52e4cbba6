import { useEffect, useState } from 'preact/hooks';

const ARM_AFTER_MS = 1_000;

/**
 * Whether a window's confirming button may answer: a second after the window has the analyst's
 * attention (again), not to a click that was aimed at the page the window opened over (a lured
 * double click). Lupa's confirmation windows share it.
 */
export function useArmedAfterFocus(): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer = setTimeout(() => setArmed(true), ARM_AFTER_MS);
    const disarm = () => {
      clearTimeout(timer);
      setArmed(false);
    };
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setArmed(true), ARM_AFTER_MS);
    };
    window.addEventListener('blur', disarm);
    window.addEventListener('focus', rearm);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('blur', disarm);
      window.removeEventListener('focus', rearm);
    };
  }, []);
  return armed;
}
