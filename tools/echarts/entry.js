// Only the charts, components and renderers the platform's pages use
// (analytics home and queries, 报送进度 map, survey statistics). Exposed as
// window.echarts, as the full dist build was.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart, HeatmapChart, MapChart } from "echarts/charts";
import {
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent,
  TitleComponent, GeoComponent,
} from "echarts/components";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart, LineChart, PieChart, HeatmapChart, MapChart,
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent,
  TitleComponent, GeoComponent,
  CanvasRenderer, SVGRenderer,
]);

window.echarts = echarts;
