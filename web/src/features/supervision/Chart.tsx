import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** A minimal ECharts wrapper: renders `option`, resizes with the window. */
export function Chart({ option, height = 300, testId }: { option: echarts.EChartsOption; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption(option);
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}
