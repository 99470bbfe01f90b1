package io.lockbench.report;

import io.lockbench.ttl.HoldTime;
import io.lockbench.ttl.Latency;
import io.lockbench.ttl.TtlAdvisor;
import io.lockbench.ttl.TtlQuestion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TtlChartsTest {

    @Test
    void drawsBothChartsOfOneQuestionAsPngsOfTheStyledSize(@TempDir Path dir) throws IOException {
        TtlAdvisor advisor = new TtlAdvisor(new TtlQuestion(HoldTime.parse("p50=20ms,p99=200ms,p999=800ms"), 500,
                1e-6, Latency.none(), Latency.none()));
        List<Path> charts = TtlCharts.write(advisor, advisor.advise(), "none", dir.resolve("charts"));

        assertThat(charts).extracting(path -> path.getFileName().toString())
                .containsExactly(TtlCharts.RISK_FILE, TtlCharts.RECOVERY_FILE);
        for (Path chart : charts) {
            BufferedImage image = ImageIO.read(chart.toFile());
            assertThat(image.getWidth()).isEqualTo(ChartStyle.DEFAULT.width());
            assertThat(image.getHeight()).isEqualTo(ChartStyle.DEFAULT.height());
        }
    }
}
